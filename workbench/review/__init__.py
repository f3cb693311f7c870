"""The review workspace and its Streamlit app."""
